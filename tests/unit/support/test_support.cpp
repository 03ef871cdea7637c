// Test support lives in the header; this unit keeps the target's source list honest.
#include "test_support.hpp"
