#!/usr/bin/env bash
# PulseAudio test rig for machines without a sound card (this one and CI).
#
#   scripts/pulse-test-rig.sh         start (idempotent): user-mode pulseaudio, a 48 kHz mono float
#                                     null sink "seminote_sink" set as default sink, its monitor as
#                                     default source, and a silent pacat keeper stream
#   scripts/pulse-test-rig.sh stop    tear all of it down
#   scripts/pulse-test-rig.sh status  print what is running
#
# Whatever is played into seminote_sink (pacat/paplay --device=seminote_sink, or any ALSA client
# through the "pulse"/"default" PCM of libasound2-plugins) comes back out of seminote_sink.monitor,
# which PortAudio/naudiodon sees through ALSA's "pulse" and "default" devices.
set -euo pipefail

SINK=seminote_sink
RATE=48000
# Where the rig keeps its pid files; not pulseaudio's own runtime dir (pulseaudio finds that itself
# from $HOME, and so do its clients, so nothing needs PULSE_SERVER exported).
RIG_DIR=${SEMINOTE_PULSE_RIG_DIR:-/tmp/seminote-pulse-rig}
KEEPER_PID_FILE="$RIG_DIR/keeper.pid"

log() { echo "pulse-test-rig: $*" >&2; }

need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    log "missing '$1' (apt-get install -y pulseaudio pulseaudio-utils libasound2-plugins)"
    exit 2
  fi
}

server_up() { pactl info >/dev/null 2>&1; }

start_server() {
  if server_up; then return 0; fi
  # Running as root: pulseaudio warns ("not intended to be run as root") but runs in per-user mode,
  # which is what we want (system mode would need the pulse user, D-Bus and client ACLs).
  # --exit-idle-time=-1 keeps it alive between test files; -n skips default.pa (which would probe
  # for ALSA cards and load udev/X11/bluetooth modules that all fail here) and we load by hand.
  mkdir -p "$RIG_DIR"
  pulseaudio -D -n --exit-idle-time=-1 --disallow-exit=false \
    --log-target="file:$RIG_DIR/pulseaudio.log" \
    --load="module-native-protocol-unix" \
    >/dev/null 2>&1 || true
  for _ in $(seq 1 50); do
    if server_up; then return 0; fi
    sleep 0.1
  done
  log "pulseaudio did not start; last log lines:"
  tail -n 20 "$RIG_DIR/pulseaudio.log" >&2 2>/dev/null || true
  exit 1
}

ensure_sink() {
  if ! pactl list short sinks | awk '{print $2}' | grep -qx "$SINK"; then
    pactl load-module module-null-sink sink_name="$SINK" \
      rate="$RATE" format=float32le channels=1 channel_map=mono \
      sink_properties=device.description=Seminote_test_sink >/dev/null
  fi
  pactl set-default-sink "$SINK"
  pactl set-default-source "$SINK.monitor"
  # Unity gain both ways so levels measured in capture equal levels written into the sink.
  pactl set-sink-volume "$SINK" 100%
  pactl set-sink-mute "$SINK" 0
  pactl set-source-volume "$SINK.monitor" 100%
  pactl set-source-mute "$SINK.monitor" 0
}

keeper_running() {
  [ -f "$KEEPER_PID_FILE" ] && kill -0 "$(cat "$KEEPER_PID_FILE")" 2>/dev/null
}

start_keeper() {
  if keeper_running; then return 0; fi
  # A silent stream keeps the sink running (never suspended), so a capture opened on its monitor
  # delivers blocks at once instead of after a resume.
  nohup pacat --playback --device="$SINK" --format=float32le --rate="$RATE" --channels=1 \
    --client-name=seminote-rig-keeper --stream-name=silence </dev/zero >/dev/null 2>&1 &
  echo $! >"$KEEPER_PID_FILE"
}

stop_all() {
  if keeper_running; then kill "$(cat "$KEEPER_PID_FILE")" 2>/dev/null || true; fi
  rm -f "$KEEPER_PID_FILE"
  if server_up; then pulseaudio -k 2>/dev/null || true; fi
  for _ in $(seq 1 30); do
    if ! server_up; then break; fi
    sleep 0.1
  done
  log "stopped"
}

need pulseaudio
need pactl
need pacat

case "${1:-start}" in
  start)
    start_server
    ensure_sink
    start_keeper
    log "running: default sink $SINK (${RATE} Hz mono float), default source $SINK.monitor"
    ;;
  stop) stop_all ;;
  status)
    if server_up; then
      pactl list short sinks
      pactl list short sources
      keeper_running && echo "keeper pid $(cat "$KEEPER_PID_FILE")" || echo "keeper not running"
    else
      echo "pulseaudio not running"
      exit 1
    fi
    ;;
  *) log "usage: $0 [start|stop|status]"; exit 2 ;;
esac
