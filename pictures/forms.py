"""The upload field of the picture form: the file checked and cleaned (uploads.py) while the
form is validated, so that a refused file is a form error and nothing is stored."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from history.versions import RevisionForm

from .models import Picture
from .uploads import Refused, clean_upload, megabytes


class PictureUploadField(forms.FileField):
    def to_python(self, data: Any) -> Any:
        upload = super().to_python(data)
        if upload is None:
            return None
        limit = settings.PICTURE_MAX_BYTES
        name = getattr(upload, "name", "") or "picture"
        if upload.size is not None and upload.size > limit:
            raise ValidationError(
                f"“{name}” is {megabytes(upload.size)}: a picture may be at most "
                f"{megabytes(limit)}. Save it smaller (a long side of 3000 pixels is plenty).",
                code="too_large",
            )
        upload.seek(0)
        try:
            cleaned = clean_upload(
                upload.read(limit + 1),
                name,
                getattr(upload, "content_type", None),
                max_bytes=limit,
                max_pixels=settings.PICTURE_MAX_PIXELS,
            )
        except Refused as refusal:
            raise ValidationError(str(refusal), code="refused") from None
        return ContentFile(cleaned.content, name=cleaned.name)


class PictureForm(RevisionForm):
    file = PictureUploadField(
        label="File",
        help_text=Picture._meta.get_field("file").help_text,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = Picture
        fields = "__all__"
