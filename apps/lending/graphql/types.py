"""GraphQL types shared by lending's parts (money through apps.core.graphql.types.MoneyField).
Each part appends its own."""
