#!/bin/sh
exec web --home "${HOME}"
