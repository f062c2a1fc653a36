"""SLA: business calendars, policies and the clocks computed from a ticket's history."""
