"""GraphQL object and input types shared by the parts (money through apps.core.graphql.types.MoneyField);
each part keeps its own types in graphql/<part>.py."""
