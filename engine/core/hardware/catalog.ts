/**
 * Devices people deploy to, with their published peaks. Every figure names its source; a figure
 * computed from published specs (cores × clock × FLOP per cycle, bus width × transfer rate) says
 * "derived" and shows the sum. Where a vendor publishes no figure for an element type, it is
 * left out rather than guessed. docs/devices.md explains the choices.
 */
import type { DeviceProfile, Figure } from './device.js';

const GIGA = 1e9;
const TERA = 1e12;

const fig = (value: number, source: string): Figure => ({ value, source });

const ARK_8380 = 'Intel ARK, "Intel Xeon Platinum 8380 Processor" specifications (ark.intel.com)';
const AMD_9654 = 'AMD product page "AMD EPYC 9654" (amd.com)';
const AMD_7950X = 'AMD product page "AMD Ryzen 9 7950X" (amd.com)';
const A100 = 'NVIDIA A100 Tensor Core GPU datasheet (https://www.nvidia.com/en-us/data-center/a100/)';
const ADA = 'NVIDIA Ada GPU Architecture whitepaper, GeForce RTX 4090 column of the appendix table';
const T4 = 'NVIDIA T4 Tensor Core GPU datasheet (https://www.nvidia.com/en-us/data-center/tesla-t4/)';
const AGX_ORIN = 'NVIDIA Jetson AGX Orin Series Technical Brief (developer.nvidia.com/embedded/jetson-agx-orin)';
const ORIN_NANO = 'NVIDIA Jetson Orin Nano Super Developer Kit (https://developer.nvidia.com/embedded/jetson-orin-nano-developer-kit)';
const JETSON_NANO = 'NVIDIA Jetson Nano Developer Kit and Jetson Nano module data sheet (developer.nvidia.com/embedded/jetson-nano)';
const RPI5 = '"Introducing: Raspberry Pi 5!" (https://www.raspberrypi.com/news/introducing-raspberry-pi-5/)';
const SD8G3 = 'Qualcomm Snapdragon 8 Gen 3 Mobile Platform product brief (qualcomm.com)';
const HAILO8 = 'Hailo-8 M.2 AI Acceleration Module product brief (hailo.ai)';
const CORAL = 'Coral M.2 Accelerator datasheet (https://coral.ai/docs/m2/datasheet/)';
const RK3588 = 'Rockchip RK3588 datasheet (rock-chips.com)';

/** Published figures of devices people deploy models to. Ids are unique and kebab-case. */
export const DEVICE_CATALOG: readonly DeviceProfile[] = [
  {
    id: 'xeon-platinum-8380',
    name: 'Intel Xeon Platinum 8380 (Ice Lake-SP, 40 cores)',
    kind: 'cpu',
    peakOpsPerSec: {
      fp32: fig(40 * 2.3 * GIGA * 64, `derived: 40 cores × 2.3 GHz base × 64 FP32 FLOP/cycle (AVX-512, two FMA units); cores and clock from ${ARK_8380}`),
    },
    bandwidthBytesPerSec: fig(8 * 3200e6 * 8, `derived: 8 channels × DDR4-3200 × 8 bytes = 204.8 GB/s; memory spec from ${ARK_8380}`),
    notes: 'One socket. Under heavy AVX-512 load the cores run below base clock, so the real fp32 ceiling is lower. It has AVX-512 VNNI for int8, but Intel publishes no int8 peak.',
  },
  {
    id: 'epyc-9654',
    name: 'AMD EPYC 9654 (Zen 4, 96 cores)',
    kind: 'cpu',
    peakOpsPerSec: {
      fp32: fig(96 * 2.4 * GIGA * 32, `derived: 96 cores × 2.4 GHz base × 32 FP32 FLOP/cycle (Zen 4: two 256-bit FMA pipes; AVX-512 runs on them in halves); cores and clock from ${AMD_9654}`),
    },
    bandwidthBytesPerSec: fig(12 * 4800e6 * 8, `derived: 12 channels × DDR5-4800 × 8 bytes = 460.8 GB/s; memory spec from ${AMD_9654}`),
    notes: 'One socket. AMD publishes no int8 peak.',
  },
  {
    id: 'ryzen-9-7950x',
    name: 'AMD Ryzen 9 7950X (Zen 4, 16 cores)',
    kind: 'cpu',
    peakOpsPerSec: {
      fp32: fig(16 * 4.5 * GIGA * 32, `derived: 16 cores × 4.5 GHz base × 32 FP32 FLOP/cycle (Zen 4: two 256-bit FMA pipes); cores and clock from ${AMD_7950X}`),
    },
    bandwidthBytesPerSec: fig(2 * 5200e6 * 8, `derived: 2 channels × DDR5-5200 × 8 bytes = 83.2 GB/s; memory spec from ${AMD_7950X}`),
    notes: 'AMD publishes no int8 peak.',
  },
  {
    id: 'apple-m1',
    name: 'Apple M1 (8-core GPU)',
    kind: 'soc',
    peakOpsPerSec: {
      fp32: fig(2.6 * TERA, 'Apple Newsroom, "Apple unleashes M1" (2020-11-10): 8-core GPU, 2.6 teraflops (https://www.apple.com/newsroom/2020/11/apple-unleashes-m1/)'),
    },
    bandwidthBytesPerSec: fig(4266e6 * 16, 'derived: 128-bit LPDDR4X at 4266 MT/s = 68.3 GB/s; Apple publishes no bandwidth for M1'),
    notes:
      "fp32 is the GPU's (reached through Core ML or Metal, not onnxruntime's CPU provider); Apple publishes no CPU peak. The Neural Engine's 11 trillion operations per second is left out because Apple does not say at which precision.",
  },
  {
    id: 'a100-sxm4-80gb',
    name: 'NVIDIA A100 SXM4 80GB',
    kind: 'gpu',
    peakOpsPerSec: {
      fp32: fig(19.5 * TERA, `${A100}: FP32 19.5 TFLOPS`),
      fp16: fig(312 * TERA, `${A100}: FP16 Tensor Core 312 TFLOPS (dense; 624 with sparsity)`),
      int8: fig(624 * TERA, `${A100}: INT8 Tensor Core 624 TOPS (dense; 1248 with sparsity)`),
    },
    bandwidthBytesPerSec: fig(2039 * GIGA, `${A100}: GPU memory bandwidth 2,039 GB/s (80GB SXM)`),
    notes: 'fp32 is without Tensor Cores; TF32 Tensor Cores reach 156 TFLOPS.',
  },
  {
    id: 'rtx-4090',
    name: 'NVIDIA GeForce RTX 4090',
    kind: 'gpu',
    peakOpsPerSec: {
      fp32: fig(82.6 * TERA, `${ADA}: peak FP32 82.6 TFLOPS (non-Tensor)`),
      fp16: fig(165.2 * TERA, `${ADA}: peak FP16 Tensor 165.2 TFLOPS with FP32 accumulate (dense)`),
      int8: fig(660.6 * TERA, `${ADA}: peak INT8 Tensor 660.6 TOPS (dense)`),
    },
    bandwidthBytesPerSec: fig(1008 * GIGA, `${ADA}: 384-bit GDDR6X at 21 Gbps, 1008 GB/s`),
    notes: 'FP16 Tensor with FP16 accumulate is twice the listed fp16 figure.',
  },
  {
    id: 't4',
    name: 'NVIDIA T4',
    kind: 'gpu',
    peakOpsPerSec: {
      fp32: fig(8.1 * TERA, `${T4}: single precision 8.1 TFLOPS`),
      fp16: fig(65 * TERA, `${T4}: mixed precision (FP16/FP32) 65 TFLOPS`),
      int8: fig(130 * TERA, `${T4}: INT8 130 TOPS`),
    },
    bandwidthBytesPerSec: fig(320 * GIGA, `${T4}: 320+ GB/s (256-bit GDDR6 at 10 Gbps)`),
    notes: 'A 70 W card: under sustained load it often runs below the boost clock these peaks assume.',
  },
  {
    id: 'jetson-agx-orin-64gb',
    name: 'NVIDIA Jetson AGX Orin 64GB',
    kind: 'soc',
    peakOpsPerSec: {
      fp32: fig(5.3 * TERA, `${AGX_ORIN}: Ampere GPU with 2048 CUDA cores, 5.3 FP32 TFLOPS`),
      int8: fig(85 * TERA, `derived: ${AGX_ORIN}: GPU 170 sparse INT8 TOPS ÷ 2 for dense`),
    },
    bandwidthBytesPerSec: fig(204.8 * GIGA, `${AGX_ORIN}: 256-bit LPDDR5, 204.8 GB/s`),
    notes: "GPU figures at the MAXN power mode. The advertised 275 TOPS is sparse INT8 over the GPU and both DLAs (105 sparse TOPS); the DLAs are not counted here.",
  },
  {
    id: 'jetson-orin-nano-8gb',
    name: 'NVIDIA Jetson Orin Nano 8GB (Super, MAXN SUPER mode)',
    kind: 'soc',
    peakOpsPerSec: {
      fp32: fig(1024 * 2 * 1.02 * GIGA, `derived: 1024 CUDA cores × 2 FLOP × 1020 MHz GPU clock, from ${ORIN_NANO}`),
      int8: fig(33.5 * TERA, `derived: ${ORIN_NANO}: 67 sparse INT8 TOPS ÷ 2 for dense`),
    },
    bandwidthBytesPerSec: fig(102 * GIGA, `${ORIN_NANO}: 128-bit LPDDR5, 102 GB/s`),
    notes: 'MAXN SUPER mode (JetPack 6.1 or later, 25 W). The original 15 W mode: 40 sparse INT8 TOPS, 68 GB/s, GPU at 625 MHz.',
  },
  {
    id: 'jetson-nano',
    name: 'NVIDIA Jetson Nano 4GB',
    kind: 'soc',
    peakOpsPerSec: {
      fp32: fig(128 * 2 * 921.6e6, `derived: 128 CUDA cores × 2 FLOP × 921.6 MHz GPU clock, from ${JETSON_NANO}`),
      fp16: fig(472 * GIGA, `${JETSON_NANO}: 472 GFLOPS (FP16)`),
    },
    bandwidthBytesPerSec: fig(25.6 * GIGA, `${JETSON_NANO}: 64-bit LPDDR4, 25.6 GB/s`),
    notes: 'Maxwell GPU: no int8 dot-product instructions and no Tensor Cores, so no int8 figure.',
  },
  {
    id: 'rpi5',
    name: 'Raspberry Pi 5 (BCM2712, 4× Cortex-A76)',
    kind: 'cpu',
    peakOpsPerSec: {
      fp32: fig(4 * 2.4 * GIGA * 16, `derived: 4 cores × 2.4 GHz × 16 FP32 FLOP/cycle (Cortex-A76: two 128-bit NEON FMA pipes); cores and clock from ${RPI5}`),
    },
    bandwidthBytesPerSec: fig(4267e6 * 4, `derived: 32-bit LPDDR4X at 4267 MT/s = 17.1 GB/s, from ${RPI5}`),
    notes: 'The Cortex-A76 also has fp16 arithmetic and int8 dot products, but no published peak for them.',
  },
  {
    id: 'snapdragon-8-gen-3',
    name: 'Qualcomm Snapdragon 8 Gen 3 (CPU)',
    kind: 'soc',
    peakOpsPerSec: {
      fp32: fig(
        (1 * 3.3 * 32 + 3 * 3.2 * 16 + 2 * 3.0 * 16) * GIGA,
        `derived: Cortex-X4 1 × 3.3 GHz × 32 FP32 FLOP/cycle (four 128-bit FMA pipes) + Cortex-A720 (3 × 3.2 GHz + 2 × 3.0 GHz) × 16 (two 128-bit FMA pipes); the two Cortex-A520 cores are left out; clocks from ${SD8G3}`,
      ),
    },
    bandwidthBytesPerSec: fig(9600e6 * 8, `derived: LPDDR5X at 4800 MHz (9600 MT/s) on a 64-bit bus (4 × 16-bit channels) = 76.8 GB/s; memory speed from ${SD8G3}`),
    notes: 'CPU figures only: Qualcomm publishes no peak for the Adreno 750 GPU or the Hexagon NPU.',
  },
  {
    id: 'hailo-8',
    name: 'Hailo-8 (M.2 module)',
    kind: 'npu',
    peakOpsPerSec: {
      int8: fig(26 * TERA, `${HAILO8}: up to 26 TOPS`),
    },
    bandwidthBytesPerSec: fig((4 * 8e9 * 128) / 130 / 8, `derived: host link PCIe Gen3 x4 = 4 lanes × 8 GT/s × 128/130 ÷ 8 = 3.94 GB/s per direction, from ${HAILO8}`),
    notes:
      "No external DRAM: weights and activations stay in on-chip memory, and the bandwidth listed is the host link that inputs and outputs cross. Placing single layers on this roofline is therefore pessimistic. Runs int8 models compiled by Hailo's Dataflow Compiler, not onnxruntime.",
  },
  {
    id: 'coral-edge-tpu',
    name: 'Google Coral Edge TPU (M.2 Accelerator)',
    kind: 'npu',
    peakOpsPerSec: {
      int8: fig(4 * TERA, `${CORAL}: 4 TOPS (int8)`),
    },
    bandwidthBytesPerSec: fig((5e9 * 8) / 10 / 8, `derived: host link PCIe Gen2 x1 = 5 GT/s × 8/10 ÷ 8 = 0.5 GB/s per direction, from ${CORAL}`),
    notes: 'About 8 MB of on-chip SRAM caches the parameters; a model that does not fit streams its weights over the host link on every inference. Runs TensorFlow Lite models compiled by the Edge TPU compiler.',
  },
  {
    id: 'rk3588-npu',
    name: 'Rockchip RK3588 NPU',
    kind: 'npu',
    peakOpsPerSec: {
      int8: fig(6 * TERA, `${RK3588}: 3-core NPU, up to 6 TOPS (INT8)`),
    },
    bandwidthBytesPerSec: fig(4266e6 * 8, `derived: 64-bit (4 × 16-bit channels) LPDDR4X at 4266 MT/s = 34.1 GB/s; interface from ${RK3588}, transfer rate of typical boards such as the Radxa ROCK 5B`),
    notes: "Shares the SoC's DRAM with the CPU, so bandwidth depends on the board's memory. The NPU also runs int16 and fp16, without a published peak. Runs RKNN models (rknn-toolkit2), not onnxruntime.",
  },
];

/** The catalog entry with this id, or undefined. */
export function findDevice(id: string): DeviceProfile | undefined {
  return DEVICE_CATALOG.find((d) => d.id === id);
}
