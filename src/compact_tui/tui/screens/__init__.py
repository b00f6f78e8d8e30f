"""The app's screens. Each mode (compacts, cases, due, orgs, report) has a base screen;
details and dialogs are pushed on top and ``escape`` pops them."""
