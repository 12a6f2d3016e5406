"""Cms help: GraphQL root fields (named cms<Thing>), owned by the help part. The help centre
for the apps: cmsHelpSearch, cmsHelpArticle and cmsHelpCategories (anyone, rate-limited per
client by `cms.help_search`), cmsHelpTickets (your own); the mutations cmsHelpFeedback and
cmsHelpContact (anyone, `cms.help_feedback` / `cms.help_contact`). The same services as REST."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext_lazy as _
from wagtail.rich_text import RichText

from apps.core import ratelimit
from apps.core.graphql.mutations import HokweMutation, clamp_first, current_user, or_none
from apps.core.graphql.types import PublicIdField
from apps.identity.api import authenticated

from ..models.help import SupportTicket
from ..services import help as help_service


class CmsHelpHitType(graphene.ObjectType):
    class Meta:
        name = "CmsHelpHit"

    slug = graphene.String(required=True)
    locale = graphene.String(required=True)
    title = graphene.String(required=True)
    summary = graphene.String(required=True)
    category = graphene.String(required=True)
    audience = graphene.String(required=True)
    url = graphene.String(required=True)
    score = graphene.Float(required=True)


class CmsHelpArticleRefType(graphene.ObjectType):
    class Meta:
        name = "CmsHelpArticleRef"

    slug = graphene.String(required=True)
    title = graphene.String(required=True)
    summary = graphene.String(required=True)
    audience = graphene.String(required=True)


class CmsHelpCategoryType(graphene.ObjectType):
    class Meta:
        name = "CmsHelpCategory"

    slug = graphene.String(required=True)
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    audience = graphene.String(required=True)
    articles = graphene.List(graphene.NonNull(CmsHelpArticleRefType), required=True)


class CmsHelpTranslationType(graphene.ObjectType):
    class Meta:
        name = "CmsHelpTranslation"

    locale = graphene.String(required=True)
    slug = graphene.String(required=True)


class CmsHelpArticleType(graphene.ObjectType):
    class Meta:
        name = "CmsHelpArticle"

    slug = graphene.String(required=True)
    locale = graphene.String(required=True)
    title = graphene.String(required=True)
    summary = graphene.String(required=True)
    audience = graphene.String(required=True)
    category = graphene.String(required=True)
    body_html = graphene.String(required=True, description=_("Sanitised HTML (Wagtail's rich text rules)"))
    updated_at = graphene.DateTime()
    translations = graphene.List(graphene.NonNull(CmsHelpTranslationType), required=True)


class CmsHelpTicketType(graphene.ObjectType):
    class Meta:
        name = "CmsHelpTicket"

    id = PublicIdField()
    reference = graphene.String(required=True)
    subject = graphene.String(required=True)
    status = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)


def _limit(info, scope: str = "cms.help_search") -> None:
    ratelimit.hit(scope, key=ratelimit.client_key(info.context))


def _article(article) -> dict:
    return {
        "slug": article.slug,
        "locale": article.language,
        "title": article.title,
        "summary": article.summary,
        "audience": article.audience,
        "category": article.category.title,
        "body_html": str(RichText(article.body)),
        "updated_at": article.last_published_at or article.updated_at,
        "translations": [
            {"locale": k, "slug": v} for k, v in help_service.article_translations(article).items()
        ],
    }


class HelpQueries(graphene.ObjectType):
    public_fields: tuple = ("cms_help_search", "cms_help_article", "cms_help_categories")

    cms_help_search = graphene.List(
        graphene.NonNull(CmsHelpHitType),
        required=True,
        text=graphene.String(required=True),
        locale=graphene.String(default_value="fr"),
        audience=graphene.String(description=_("tenant, landlord, agency or merchant")),
        first=graphene.Int(default_value=10),
        description=_("Live help articles answering the words, best first (anyone)."),
    )
    cms_help_article = graphene.Field(
        CmsHelpArticleType,
        slug=graphene.String(required=True),
        locale=graphene.String(default_value="fr"),
        description=_("One live help article (null when there is none)."),
    )
    cms_help_categories = graphene.List(
        graphene.NonNull(CmsHelpCategoryType),
        required=True,
        locale=graphene.String(default_value="fr"),
        audience=graphene.String(),
    )
    cms_help_tickets = graphene.List(
        graphene.NonNull(CmsHelpTicketType), required=True, first=graphene.Int(default_value=50)
    )

    @staticmethod
    def resolve_cms_help_search(root, info, text, locale="fr", audience=None, first=10):
        _limit(info)
        return help_service.search(
            text, locale=locale, audience=audience, limit=clamp_first(first, maximum=50)
        )

    @staticmethod
    @or_none
    def resolve_cms_help_article(root, info, slug, locale="fr"):
        _limit(info)
        return _article(help_service.article_get(slug, locale=locale))

    @staticmethod
    def resolve_cms_help_categories(root, info, locale="fr", audience=None):
        _limit(info)
        return [
            {
                "slug": g["category"].slug,
                "title": g["category"].title,
                "description": g["category"].description,
                "audience": g["category"].audience,
                "articles": g["articles"],
            }
            for g in help_service.categories(locale=locale, audience=audience)
        ]

    @staticmethod
    def resolve_cms_help_tickets(root, info, first=50):
        user = authenticated(current_user(info))
        return list(help_service.tickets_of(user)[: clamp_first(first, maximum=50)])


class CmsHelpFeedback(HokweMutation):
    """« Was this helpful? » on an article: yes or no, a reason and a comment."""

    login_required = False

    class Arguments:
        slug = graphene.String(required=True)
        locale = graphene.String(default_value="fr")
        helpful = graphene.Boolean(required=True)
        reason = graphene.String(default_value="")
        comment = graphene.String(default_value="")

    @classmethod
    def perform(cls, info, user, slug, helpful, locale="fr", reason="", comment=""):
        _limit(info, "cms.help_feedback")
        article = help_service.article_get(slug, locale=locale)
        help_service.feedback_record(
            article=article, helpful=helpful, reason=reason, comment=comment, user=user
        )
        return {}


class CmsHelpContact(HokweMutation):
    """The contact form: opens a support ticket (an e-mail or a phone to answer; a signed-in
    user's own by default)."""

    login_required = False

    class Arguments:
        subject = graphene.String(required=True)
        message = graphene.String(required=True)
        name = graphene.String(default_value="")
        email = graphene.String(default_value="")
        phone = graphene.String(default_value="")
        audience = graphene.String(default_value="everyone")
        locale = graphene.String(default_value="fr")

    ticket = graphene.Field(CmsHelpTicketType)

    @classmethod
    def perform(
        cls, info, user, subject, message, name="", email="", phone="", audience="everyone", locale="fr"
    ):
        _limit(info, "cms.help_contact")
        if email:
            from django.core.exceptions import ValidationError
            from django.core.validators import validate_email

            try:
                validate_email(email)
            except ValidationError as exc:
                raise ValidationError({"email": exc.messages}) from None
        ticket = help_service.ticket_open(
            user=user,
            name=name,
            email=email,
            phone=phone,
            subject=subject,
            message=message,
            audience=audience,
            language=locale,
            source=SupportTicket.Source.APP,
        )
        return {"ticket": ticket}


class HelpMutations(graphene.ObjectType):
    cms_help_feedback = CmsHelpFeedback.Field()
    cms_help_contact = CmsHelpContact.Field()
