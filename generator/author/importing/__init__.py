"""``flare import``: another status page's components and history, as Flare's records.

Each source has a reader of its own (:mod:`.statuspage`, :mod:`.cstate`, :mod:`.statusfy`) that
turns what it finds into the neutral account of :mod:`.source`: components, records and updates
already in Flare's words, and a note for everything it could not map. :mod:`.apply` does what
all three share: it finds the target site (or plans a new one), gives components and records
their Flare ids, plans every file, validates all of it as ``flare validate`` would, and writes it
only when everything holds; it also tells what changed and what could not be mapped.
"""
