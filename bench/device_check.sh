#!/usr/bin/env bash
# Builds core/ + nn/ + bench/device_check.cpp against the PyTorch (libtorch 2.x, CUDA) of a GPU machine
# and runs the check. Expects .devcheck/include/nlohmann (headers) and .devcheck/cache/human-models-3.0.4
# (centernet.json/.bin) beside the sources, e.g. carried there by the device tool:
#   mkdir -p .devcheck/include .devcheck/cache && cp -r /usr/include/nlohmann .devcheck/include/ &&
#   cp -r ~/.cache/apiary/human-models-3.0.4 .devcheck/cache/
set -uo pipefail
T=$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))')
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "abi", torch.compiled_with_cxx11_abi())'
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
ABI=$(python3 -c 'import torch; print(int(torch.compiled_with_cxx11_abi()))')
FLAGS="-std=c++20 -O2 -D_GLIBCXX_USE_CXX11_ABI=$ABI -Isrc -I.devcheck/include -isystem $T/include -isystem $T/include/torch/csrc/api/include"
mkdir -p /tmp/obj
srcs="src/core/error.cpp src/core/files.cpp src/core/base64.cpp $(ls src/nn/*.cpp) bench/device_check.cpp"
echo "$srcs" | tr ' ' '\n' | xargs -P 16 -I{} sh -c 'g++ '"$FLAGS"' -c {} -o /tmp/obj/$(echo {} | tr / _).o 2> /tmp/obj/$(echo {} | tr / _).err || { cat /tmp/obj/$(echo {} | tr / _).err | head -30; exit 1; }'
g++ /tmp/obj/*.o -L$T/lib -ltorch -ltorch_cpu -ltorch_cuda -lc10 -lc10_cuda -Wl,-rpath,$T/lib -o /tmp/device_check || exit 1
APIARY_CACHE=.devcheck/cache /tmp/device_check --size 512 --train-size 256 --steps 20 | tee ${OUT:-/tmp}/device_check.json
