"""AnalyticsMutations: HokweMutation subclasses, fields named `analytics<Verb><Thing>`."""

import graphene

from .product import AnalyticsTrackEvents


class AnalyticsMutations(graphene.ObjectType):
    analytics_track_events = AnalyticsTrackEvents.Field()
