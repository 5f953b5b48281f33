"""The MkDocs adapter: turns a loaded :class:`~generator.validate.site.Site` into pages.

This package is the only place (with the command line) that imports MkDocs; moving to another
page engine means replacing it and nothing in the core.
"""
