"""The rules a compact states, as pure functions over the model: dates and periods, notice rules, dispute moves."""
