import factory

from apps.estate.models import Mandate, Property, Unit
from tests.identity.factories import OrganizationFactory


class OwnerOrgFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"Famille Propriétaire {n}")
    kind = "owner"


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandate

    agency = factory.SubFactory(OrganizationFactory)
    owner = factory.SubFactory(OwnerOrgFactory)
    commission_bps = 1000
    start_date = factory.Faker("date_between", start_date="-2y", end_date="-1y")


class PropertyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Property

    mandate = factory.SubFactory(MandateFactory)
    organization = factory.SelfAttribute("mandate.agency")
    owner = factory.SelfAttribute("mandate.owner")
    name = factory.Sequence(lambda n: f"Résidence {n}")
    city = "Cotonou"
    neighbourhood = "Fidjrossè"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    property = factory.SubFactory(PropertyFactory)
    organization = factory.SelfAttribute("property.organization")
    label = factory.Sequence(lambda n: f"A{n}")
    kind = "apartment"
    market_rent = 75_000
