#!/bin/sh
# Rebuilds bookpress-cmyk-240.icc from the free FOGRA39 characterisation data (see bookpress-cmyk-240.md).
#
#   apt-get install argyll icc-profiles-free
#   sh bookpress/data/icc/make-bookpress-cmyk-240.sh [OUT.icc]
#
# No source gamut (-s/-S) and no viewing conditions (-c/-d): every table, the perceptual one too,
# is colorimetric, so a colour inside the press gamut comes out as the FOGRA39 data measured it
# instead of lighter and paler (which an sRGB-to-print appearance mapping makes of dark photos).
set -eu
out=$(realpath -m "${1:-bookpress-cmyk-240.icc}")
data=/usr/share/color/icc/FOGRA39L.ti3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$data" "$work/FOGRA39L.ti3"
cd "$work"
colprof -v -qm -nc -l236 -kr \
  -A "bookpress" \
  -M "IngramSpark 240% TAC (FOGRA39 coated, generic)" \
  -D "bookpress CMYK 240% (FOGRA39 data)" \
  -C "Built with ArgyllCMS colprof from FOGRA39L.ti3 (Fogra data via Debian icc-profiles-free, zlib licence). No warranty." \
  -O profile.icc FOGRA39L
cp profile.icc "$out"
echo "wrote $out"
