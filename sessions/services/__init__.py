"""State changes of meetings, agendas, consultations and minutes, one module each."""
