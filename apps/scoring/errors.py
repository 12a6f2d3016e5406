"""Scoring's refusals (problem details on REST, typed errors on GraphQL, translated)."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError


class ModelRejected(DomainError):
    code = "scoring_model_rejected"
    status = 400
    default_message = _("This scoring model fails its checks and was not loaded.")
