"""KYC use cases (writes): keyword-only, transactional, permission-checked, publishing
events. REST, GraphQL, the manager pages, the admin and the tasks share them."""
