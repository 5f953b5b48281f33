"""``flare notify``: announce what a deploy published, once, to the channels in mkdocs.yml.

A static site cannot notify by itself, but its deploy can. The newly built site and the one
live before it are compared through their own API files (``api/v2/incidents.json`` and
``scheduled-maintenances.json``): every fact a subscriber hears of has a permanent key (an
update's id, a maintenance's start or end, a post-mortem's stage), and what the new site has
and the old one lacks is exactly what to send. A second run of the same deploy finds nothing
new and sends nothing.

- :mod:`.events`: the keys and events of a site, and the difference between two.
- :mod:`.channels`: sending an event through Apprise or as Statuspage's webhook payload,
  with retries, each channel on its own.
"""
