"""Code tables as plain data (no Django): education ladder, experience bands, skill levels, priority
groups, the occupation classification subset, districts, and the word lists the engine uses."""
