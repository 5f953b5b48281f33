"""Flare's version, in one place: the package's metadata, ``flare --version`` and the version a
new site pins all come from here. A release is a tag ``v<version>`` of a commit that sets it."""

__version__ = "0.2.0"
