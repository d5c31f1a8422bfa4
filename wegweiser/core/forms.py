"""The base of the site's forms."""

from __future__ import annotations

from django import forms


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
