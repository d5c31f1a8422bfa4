"""The base of the site's forms."""

from __future__ import annotations

import functools
import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from wegweiser.core import geo

_FIVE_DIGITS = re.compile(r"[0-9]{5}")


class AccessibleForm(forms.Form):
    """Marks fields with errors ``aria-invalid`` and links them to their message (and help
    text) with ``aria-describedby``, as ``_form_fields.html`` renders them (WCAG 3.3.1)."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            described = [f"{bound.auto_id}_error"]
            if self.fields[name].help_text:
                described.insert(0, f"{bound.auto_id}_helptext")
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = " ".join(described)


@functools.cache
def _digit_table() -> dict[int, str]:
    return {
        code: str(unicodedata.decimal(chr(code)))
        for code in range(0x80, 0x10000)
        if unicodedata.category(chr(code)) == "Nd"
    }


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit written 0–9: a phone set to Arabic or Persian types
    ٦٣٤٥٠ or ۶۳۴۵۰ for 63450 (also full-width and other scripts' digits, Unicode category Nd)."""
    return text.translate(_digit_table())


class PostcodeField(forms.CharField):
    """A German postcode the platform knows (``core.geo``), typed in any script's digits;
    cleaned to five digits 0–9. Empty where not required."""

    default_error_messages = {
        "invalid": _("Eine Postleitzahl hat genau fünf Ziffern, zum Beispiel 60311."),
        "unknown": _("Die Postleitzahl %(plz)s kennen wir nicht. Bitte prüfen Sie sie."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def to_python(self, value):
        return ascii_digits(super().to_python(value)).strip()

    def validate(self, value):
        super().validate(value)
        if not value:
            return
        if not _FIVE_DIGITS.fullmatch(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if geo.postcode(value) is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"plz": value}
            )
