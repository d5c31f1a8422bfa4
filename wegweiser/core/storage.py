"""Static files in production: WhiteNoise's compressed files with hashed names, whose address
for each name is worked out once per process.

The manifest (``staticfiles.json``) is read when the process starts and does not change until
it restarts, so neither does a name's address; working it out cost about 30 µs per
``{% static %}``, and a public page has seven to eleven of them (docs/public.md, "Speed").
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._addresses: dict[str, str] = {}

    def url(self, name, force=False):
        if force:  # collectstatic's own use, while the manifest is being written
            return super().url(name, force=True)
        try:
            return self._addresses[name]
        except KeyError:
            address = self._addresses[name] = super().url(name)
            return address
