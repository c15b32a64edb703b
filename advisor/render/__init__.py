"""Renderers: each turns a result document into a string and never prints."""
