"""Track-II games, one subpackage each: `strategic` (strategic-form games: equilibria,
dominance, win-win outcomes), `repeated` (repeated games and trust), `crisis` (private
information and crises), `coalitions` (coalitions and power). Each subpackage exports its
public API, keeps its file formats (its own small YAML/JSON file, a scenario's `games:`
section) in a `files` module apart from the algorithms, and returns result objects whose
`to_dict()` is what its command prints with `--json`; `exact` is the one rule by which they
read numbers exactly. The `cli_*` modules are the commands: they parse options, call the
subpackage and render."""
