from django.contrib import admin
from django.utils.html import format_html

from history.versions import StaleEditGuard, VersionedAdmin

from .forms import PictureForm
from .models import Picture


@admin.register(Picture)
class PictureAdmin(StaleEditGuard, VersionedAdmin):
    form = PictureForm
    list_display = ["thumbnail", "alt", "credit", "licence", "created_at"]
    list_display_links = ["thumbnail", "alt"]
    search_fields = ["alt", "caption", "credit"]
    search_help_text = "Words of the alt text, caption or credit."
    readonly_fields = ["preview", "size"]
    fieldsets = [
        (None, {"fields": ["file", "preview", "size", "alt", "caption"]}),
        ("Credit", {"fields": ["credit", "licence", "licence_url", "source_url"]}),
        (
            "Focal point",
            {
                "fields": [("focal_x", "focal_y")],
                "description": "Where the face is: square crops (faces, thumbnails) keep it.",
            },
        ),
    ]
    show_full_result_count = False

    @admin.display(description="")
    def thumbnail(self, picture: Picture) -> str:
        return format_html(
            '<img src="{}" alt="" width="48" height="48" style="object-fit:cover">',
            picture.file.url,
        )

    @admin.display(description="as uploaded")
    def preview(self, picture: Picture) -> str:
        if not picture.pk:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" style="max-width:24rem;height:auto">',
            picture.file.url,
            picture.alt,
        )

    @admin.display(description="size")
    def size(self, picture: Picture) -> str:
        return f"{picture.width} × {picture.height} pixels" if picture.pk else "—"
