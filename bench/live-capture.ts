/**
 * Live-capture benchmark on the PulseAudio rig (no sound card needed):
 *   npx tsx bench/live-capture.ts [--seconds 5] [--clicks 40]
 *
 * 1. Block cadence: capture from the rig's monitor through naudiodon at 128 and 256 frames/block,
 *    48 kHz, and measure the interval between blocks reaching JavaScript (p50/p95/p99, jitter as
 *    the standard deviation) and the process CPU while capturing.
 * 2. Click latency: write a short click into the sink through a low-latency pacat stream and time
 *    its detection by a threshold onset detector running on the captured blocks.
 *    "detect" = detection time (block arrival) - write time: what a live feedback path would see.
 *    "stamp"  = capture timestamp of the onset sample - write time: how well block timestamps
 *    place the sound (the rest of "detect" is block size + delivery).
 * Figures go to stdout as a Markdown table (copied into docs/audio.md).
 */
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { AudioCapture } from '../src/main/audio/capture';
import { ThresholdOnsetDetector } from '../src/main/audio/onsetDetector';
import { PulsePlayer, RIG_RATE, startPulseRig } from '../src/main/audio/pulseRig';
import { numericOption } from './stats';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => numericOption(args, name, fallback);
const SECONDS = option('seconds', 5);
const CLICKS = option('clicks', 40);
const CLICK_SPACING_MS = 150;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

function stddev(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
}

async function openCapture(framesPerBuffer: number): Promise<{ capture: AudioCapture; drainer: NodeJS.Timeout }> {
  const capture = new AudioCapture({ device: 'pulse', sampleRate: RIG_RATE, framesPerBuffer });
  capture.start();
  await capture.whenRunning(15_000);
  const sink = new Float32Array(capture.ring.capacity);
  // A consumer like the live path's: drains the ring every 10 ms.
  const drainer = setInterval(() => capture.ring.read(sink), 10);
  await sleep(1000); // let the stream and the capture clock settle
  return { capture, drainer };
}

interface CadenceResult {
  frames: number;
  nominalMs: number;
  intervals: number[];
  cpuPercent: number;
  overflowFrames: number;
}

async function measureCadence(framesPerBuffer: number): Promise<CadenceResult> {
  const { capture, drainer } = await openCapture(framesPerBuffer);
  const intervals: number[] = [];
  let last = Number.NaN;
  const off = capture.on('block', (block) => {
    if (!Number.isNaN(last)) intervals.push(block.arrivalTimeMs - last);
    last = block.arrivalTimeMs;
  });
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  await sleep(SECONDS * 1000);
  const cpu = process.cpuUsage(cpuStart);
  const wall = performance.now() - wallStart;
  off();
  clearInterval(drainer);
  const overflowFrames = capture.ring.overflowFrames;
  await capture.dispose();
  return {
    frames: framesPerBuffer,
    nominalMs: (framesPerBuffer * 1000) / RIG_RATE,
    intervals,
    cpuPercent: ((cpu.user + cpu.system) / 1000 / wall) * 100,
    overflowFrames,
  };
}

interface LatencyResult {
  frames: number;
  detect: number[];
  stamp: number[];
  missed: number;
}

async function measureClickLatency(framesPerBuffer: number): Promise<LatencyResult> {
  const { capture, drainer } = await openCapture(framesPerBuffer);
  const player = await PulsePlayer.open({ latencyMs: 10 });
  await sleep(300);
  const detector = new ThresholdOnsetDetector({ threshold: 0.3, quietMs: 30, sampleRate: RIG_RATE });
  let pendingWriteMs: number | null = null;
  const detect: number[] = [];
  const stamp: number[] = [];
  let missed = 0;
  const off = capture.on('block', (block) => {
    detector.push(block.samples, block.frameIndex, (frame) => {
      if (pendingWriteMs === null) return;
      const now = performance.now();
      detect.push(now - pendingWriteMs);
      stamp.push(block.captureTimeMs + ((frame - block.frameIndex) * 1000) / block.sampleRate - pendingWriteMs);
      pendingWriteMs = null;
    });
  });
  // A 10 ms burst then 30 ms of silence (enough data for the stream's prebuffer to start). An idle
  // playback stream that restarts drops its first few samples (0-2 ms seen here), so a 1 ms click
  // can vanish; with a burst the figures are at most that much optimistic.
  const click = new Float32Array(Math.round(0.04 * RIG_RATE));
  click.fill(0.8, 0, Math.round(0.01 * RIG_RATE));
  for (let i = 0; i < CLICKS; i++) {
    if (pendingWriteMs !== null) missed++;
    pendingWriteMs = player.play(click);
    await sleep(CLICK_SPACING_MS);
  }
  if (pendingWriteMs !== null) missed++;
  off();
  clearInterval(drainer);
  await player.close();
  await capture.dispose();
  return { frames: framesPerBuffer, detect, stamp, missed };
}

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

async function main(): Promise<void> {
  const problem = startPulseRig(resolve(import.meta.dirname, '..'));
  if (problem) {
    console.error(`live-capture bench: the PulseAudio rig cannot start: ${problem}`);
    process.exit(1);
  }
  const cadence: CadenceResult[] = [];
  const latency: LatencyResult[] = [];
  for (const frames of [128, 256]) {
    cadence.push(await measureCadence(frames));
    latency.push(await measureClickLatency(frames));
  }

  console.log(`\nlive-capture bench: ${new Date().toISOString()}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map(f2).join(' ')}`);
  console.log(`command: npx tsx bench/live-capture.ts --seconds ${SECONDS} --clicks ${CLICKS}\n`);
  console.log('| frames/block | nominal ms | interval p50 | p95 | p99 | max | jitter (sd) | CPU % of one core | ring overflow |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const c of cadence) {
    console.log(
      `| ${c.frames} | ${f2(c.nominalMs)} | ${f2(percentile(c.intervals, 50))} | ${f2(percentile(c.intervals, 95))} | ${f2(percentile(c.intervals, 99))} | ${f2(Math.max(...c.intervals))} | ${f2(stddev(c.intervals))} | ${f1(c.cpuPercent)} | ${c.overflowFrames} |`,
    );
  }
  console.log('\n| frames/block | clicks found | detect p50 ms | p95 | p99 | stamp p50 ms | p95 | p99 |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const l of latency) {
    console.log(
      `| ${l.frames} | ${l.detect.length}/${l.detect.length + l.missed} | ${f1(percentile(l.detect, 50))} | ${f1(percentile(l.detect, 95))} | ${f1(percentile(l.detect, 99))} | ${f1(percentile(l.stamp, 50))} | ${f1(percentile(l.stamp, 95))} | ${f1(percentile(l.stamp, 99))} |`,
    );
  }
}

await main();
