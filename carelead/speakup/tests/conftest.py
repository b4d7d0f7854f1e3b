"""Fixtures for speak-up's file tests: a storage of their own, and small files of every kind."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture
def storage(settings, tmp_path):
    """The default storage in a fresh folder, so each test sees only its own files."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


def docx_bytes(*, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00\x01")
    return buffer.getvalue()


# A JPEG whose metadata names a place and a camera: kept exactly as sent.
JPEG = b"\xff\xd8\xff\xe1\x00\x40Exif\x00\x00GPSLatitude 51.5 Make PhoneCo" + b"\x00" * 64 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
TEXT = b"Rota for ward 7, week 12.\nNights: one nurse.\n"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def files():
    """A factory of uploads: files("photo.jpg") gives a JPEG, and so on by the name's ending."""
    kinds = {".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".pdf": PDF, ".txt": TEXT, ".docx": docx_bytes()}

    def make(name: str, content: bytes | None = None) -> SimpleUploadedFile:
        suffix = name[name.rfind(".") :].lower()
        return upload(name, kinds[suffix] if content is None else content)

    return make
