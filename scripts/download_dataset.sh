#!/usr/bin/env bash
# Downloads one of the CycleGAN reference's public datasets into DEST/NAME (default DEST: ./datasets), in the layout
# the trainer reads (trainA, trainB, testA, testB).
#   scripts/download_dataset.sh NAME [DEST]
# Needs internet. Where there is none it stops at once and says so; `cyclegan dataset synth` and
# `cyclegan dataset fashion-mnist` make datasets offline.
set -euo pipefail

HOST="http://efrosgans.eecs.berkeley.edu/cyclegan/datasets"
NAMES=(apple2orange summer2winter_yosemite horse2zebra monet2photo cezanne2photo ukiyoe2photo vangogh2photo maps
       cityscapes facades iphone2dslr_flower ae_photos mini mini_pix2pix mini_colorization)

usage() {
    echo "usage: $0 NAME [DEST]" >&2
    echo "NAME is one of: ${NAMES[*]}" >&2
}

if [[ $# -lt 1 || $# -gt 2 ]]; then
    usage
    exit 2
fi

NAME="$1"
DEST="${2:-datasets}"
valid=0
for n in "${NAMES[@]}"; do
    [[ "$n" == "$NAME" ]] && valid=1
done
if [[ $valid -eq 0 ]]; then
    echo "error: unknown dataset '$NAME'." >&2
    usage
    exit 2
fi

if [[ "$NAME" == "cityscapes" ]]; then
    # The reference does not redistribute it either: its licence requires each user to register.
    echo "error: cityscapes cannot be redistributed; register and download it from https://www.cityscapes-dataset.com," >&2
    echo "then arrange it as trainA/trainB/testA/testB (the reference's datasets/prepare_cityscapes_dataset.py does this)." >&2
    exit 2
fi

for tool in curl unzip; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "error: $tool is required (apt-get install $tool)." >&2
        exit 2
    fi
done

URL="$HOST/$NAME.zip"
# A short probe first, so that a machine without internet fails in seconds rather than after curl's long timeouts.
ERR="$(mktemp)"
if ! curl --silent --show-error --head --location --connect-timeout 5 --max-time 15 --output /dev/null "$URL" 2>"$ERR"; then
    echo "error: cannot reach $HOST ($(tr -d '\n' <"$ERR"))." >&2
    echo "There seems to be no internet connection here. Offline datasets: 'cyclegan dataset synth --output DIR' or" >&2
    echo "'cyclegan dataset fashion-mnist --output DIR --a sneaker --b ankle-boot' (after apt-get install dataset-fashion-mnist)." >&2
    rm -f "$ERR"
    exit 3
fi
rm -f "$ERR"

if [[ -e "$DEST/$NAME" ]]; then
    echo "error: $DEST/$NAME already exists; remove it first." >&2
    exit 2
fi

mkdir -p "$DEST"
ZIP="$(mktemp "$DEST/.$NAME.XXXXXX.zip")"
trap 'rm -f "$ZIP"' EXIT
echo "downloading $URL" >&2
curl --fail --location --retry 2 --connect-timeout 10 --output "$ZIP" "$URL"
# Unpack beside, then move into place, so an interrupted run leaves no half dataset under the final name.
STAGE="$(mktemp -d "$DEST/.$NAME.XXXXXX")"
unzip -q "$ZIP" -d "$STAGE"
if [[ -d "$STAGE/$NAME" ]]; then
    mv "$STAGE/$NAME" "$DEST/$NAME"
    rmdir "$STAGE"
else
    mv "$STAGE" "$DEST/$NAME"
fi
echo "$NAME is in $DEST/$NAME" >&2
