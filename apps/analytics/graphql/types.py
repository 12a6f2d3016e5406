"""GraphQL object and input types (money through apps.core.graphql.types.MoneyField)."""
