// wasync: asyncio for C++ on WebAssembly. Includes the whole public API.
#pragma once

#include "wasync/as_result.hpp"
#include "wasync/config.hpp"
#include "wasync/error.hpp"
#include "wasync/event_loop.hpp"
#include "wasync/host.hpp"
#include "wasync/result.hpp"
#include "wasync/run.hpp"
#include "wasync/sleep.hpp"
#include "wasync/spawn.hpp"
#include "wasync/task.hpp"
#include "wasync/timeout.hpp"
