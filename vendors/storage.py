"""The private file storage: evidence, certificates, the vendor contacts' uploads, inventory imports and dossiers
(docs/operations.md "File storage"). Every file of the site goes through `private_storage()`: the storage
STORAGES["private"] names, a local directory by default (PRIVATE_MEDIA_ROOT) or a bucket of an S3-compatible
object store (VETTED_STORAGE=s3: Aliyun OSS, Tencent COS, Huawei OBS, MinIO, AWS), which every app host then
shares. Either way:

- no file has a URL: `url()` refuses, and files are streamed only through views that check the reader may see
  them (reviews/views/downloads.py), with `open_stream()`;
- a file a record still names (a FileField of any model on this storage) is never deleted: `delete()` refuses
  it (I7, nothing on record is ever removed); only a file whose record was never written (an upload refused
  under the lock, a dossier rendered twice) may go."""

import functools
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class StoredFileKept(PermissionError):
    """A file a record still names may not be deleted (I7)."""


def private_storage():
    """The one storage every file of the site is written to and read from."""
    return storages["private"]


def _records_naming(storage, name: str) -> list[str]:
    """The models whose records name `name` in a file field kept on the private storage."""
    from django.apps import apps
    from django.db import models

    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.FileField)
                and _is_private(field)
                and model._default_manager.filter(**{field.name: name}).exists()
            ):
                found.append(model._meta.label)
    return found


def _is_private(field) -> bool:
    storage = field.storage
    return storage is private_storage() or getattr(storage, "_vetted_private", False)


class KeptFilesMixin(Storage):
    """No public URL; no deletion of a file on record; a streaming open for downloads. Listed before the
    storage class it guards (FileSystemStorage, S3Storage), which does the deleting and opening."""

    _vetted_private = True

    def url(self, name, *args, **kwargs):
        raise NotImplementedError("Private files are served only through views that check access.")

    def delete(self, name):
        kept = _records_naming(self, name)
        if kept:
            raise StoredFileKept(f"{name} is on record ({', '.join(kept)}) and is never deleted.")
        return super().delete(name)

    def delete_unrecorded(self, name):
        """Delete without looking for records: a file no record can name (the health check's probe), or the
        file of an upload Legal discarded before importing it (vendors.inventory.services.inventory_discard)."""
        return super().delete(name)

    def open_stream(self, name):
        """`name` opened for reading in chunks, with its size: (file-like, size). FileNotFoundError when it
        is missing."""
        handle = self.open(name, "rb")
        return handle, self.size(name)


class PrivateStorage(KeptFilesMixin, FileSystemStorage):
    """Files on the local disk of this host (the embedded default). The location follows
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


class _ObjectBody:
    """An object's body as a download streams it: read in chunks straight from the store, never held whole
    in memory or written to this host's disk."""

    def __init__(self, body):
        self._body = body

    def read(self, size=-1):
        return self._body.read(None if size is None or size < 0 else size)

    def close(self):
        self._body.close()


@functools.cache
def _s3_storage_class():
    from storages.backends.s3 import S3Storage

    class PrivateObjectStorage(KeptFilesMixin, S3Storage):
        """Files in a private bucket of an S3-compatible object store, shared by every host. Objects are
        written without an ACL of their own (they inherit the bucket's, which must be private), never
        overwritten (a taken name gets a suffix), and read through the site only."""

        def __init__(self, **kwargs):
            kwargs.setdefault("file_overwrite", False)
            kwargs.setdefault("default_acl", None)
            kwargs.setdefault("querystring_auth", True)
            super().__init__(**kwargs)

        def open_stream(self, name):
            from botocore.exceptions import ClientError

            key = self._normalize_name(name)
            try:
                answer = self.bucket.Object(key).get()
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                    raise FileNotFoundError(f"{name} is not in the bucket") from None
                raise
            return _ObjectBody(answer["Body"]), answer["ContentLength"]

    return PrivateObjectStorage


def __getattr__(name):
    # Loaded on first use: boto3 is imported only where object storage is configured.
    if name == "PrivateObjectStorage":
        return _s3_storage_class()
    raise AttributeError(name)
