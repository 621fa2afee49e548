import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files no URL serves: evidence, certificates, dossiers. The location follows
    settings.PRIVATE_MEDIA_ROOT at each use rather than at start-up, so a file field (which binds its
    storage when the model loads) always reads and writes where the settings say."""

    def __init__(self, **kwargs):
        kwargs.pop("location", None)
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise NotImplementedError("Private files are served only through views that check access.")
