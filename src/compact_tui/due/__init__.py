"""What is due across the case log, and the reminders that carry it to an officer."""
