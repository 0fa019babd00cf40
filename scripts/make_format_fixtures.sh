#!/usr/bin/env bash
# Regenerate the small video-format fixtures in tests/data/video/formats/ from the bundled real clip.
# Needs Debian's ffmpeg (apt-get install ffmpeg); the tests themselves do not need ffmpeg.
set -euo pipefail
cd "$(dirname "$0")/.."
src=tests/data/video/male_side.mp4
out=tests/data/video/formats
mkdir -p "$out"
ff() { ffmpeg -v error -y "$@"; }
ff -i "$src" -t 3 -vf scale=360:-2 -c:v libx264 -crf 28 -an "$out/h264.mp4"
ff -i "$src" -t 3 -vf scale=360:-2 -c:v libx265 -x265-params log-level=error -crf 30 -tag:v hvc1 -an "$out/hevc.mp4"
ff -i "$src" -t 3 -vf scale=360:-2 -c:v libvpx-vp9 -b:v 300k -an "$out/vp9.webm"
ff -i "$src" -t 3 -vf scale=360:-2 -c:v libx264 -crf 28 -an "$out/h264.mov"
# landscape-encoded frames with rotation metadata: a phone held upright records this way
ff -i "$src" -t 3 -vf "scale=360:-2,transpose=1" -c:v libx264 -crf 28 -an /tmp/kc_rot_tmp.mp4
ff -i /tmp/kc_rot_tmp.mp4 -c copy -metadata:s:v rotate=90 "$out/rotated90.mp4"
# variable frame rate: frames 20-39 are shown twice as long (timestamps stretched)
ff -i "$src" -t 3 -vf "scale=360:-2,setpts='if(between(N,20,39),(20+(N-20)*2)/30/TB,if(gt(N,39),(N+20)/30/TB,N/30/TB))'" -fps_mode vfr -c:v libx264 -crf 28 -an "$out/vfr.mp4"
# the garage wall above the runner's head: a real scene with no person in it
ff -i "$src" -t 3 -vf "crop=720:300:0:0,scale=360:-2" -c:v libx264 -crf 28 -an "$out/no_person.mp4"
ff -i "$src" -t 0.4 -vf scale=360:-2 -c:v libx264 -crf 28 -an "$out/too_short.mp4"
ff -f lavfi -i "sine=frequency=440:duration=1" -c:a aac "$out/audio_only.m4a"
head -c 4096 "$src" > "$out/truncated.mp4"
ls -la "$out"
