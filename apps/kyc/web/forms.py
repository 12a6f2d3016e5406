from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Document, Kind


class KybForm(forms.Form):
    legal_name = forms.CharField(label=_("legal name"), max_length=200)
    rccm_number = forms.CharField(label=_("RCCM number"), max_length=60)
    ifu_number = forms.CharField(label=_("IFU number"), max_length=30)
    registered_address = forms.CharField(label=_("registered address"), max_length=300)


class DirectorForm(forms.Form):
    full_name = forms.CharField(label=_("full name"), max_length=150)
    role = forms.CharField(label=_("role"), max_length=100, required=False)
    date_of_birth = forms.DateField(
        label=_("date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    id_number = forms.CharField(label=_("ID document number"), max_length=50, required=False)


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("document"),
        choices=[(k, Kind(k).label) for k in ("rccm", "ifu", "id_card", "passport", "driving_licence")],
    )
    side = forms.ChoiceField(label=_("side"), choices=Document.Side.choices, required=False)
    director = forms.ChoiceField(label=_("director (for an identity document)"), required=False)
    file = forms.FileField(label=_("file (JPEG, PNG, WebP or PDF)"))

    def __init__(self, *args, directors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["director"].choices = [("", "—")] + [(str(d.public_id), d.full_name) for d in directors]
