"""Plumbing shared by the services: the embedded broker and the topic catalogue."""
