"""Track-II games: strategic-form games, repeated games and trust, private information and
crises, coalitions and power. Each model reads its own small YAML file or a scenario's
`games:` section."""
