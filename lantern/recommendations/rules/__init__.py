"""Rules about recommendations and actions that need no Django: the SMART check, when an action
is overdue, which reminder is due, and text similarity for recurring recommendations."""
