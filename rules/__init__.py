"""Marks rules/ as the package advisor.rules so the rule files ship inside the wheel."""
