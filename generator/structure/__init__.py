"""The domain types: components, the site's settings, incident and maintenance records."""
