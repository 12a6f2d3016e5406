"""REST shapes (StrictSerializer for inputs, MoneyField for amounts)."""
