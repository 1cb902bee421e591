#!/bin/sh
echo "starting in ${HOME} for ${SECRET_DOMAIN}"
