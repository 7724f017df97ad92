// The one C header ConvMatrix reads: CHOLMOD from Debian's libsuitesparse-dev.
#include <suitesparse/cholmod.h>

// SuiteSparse reads its allocator from a global struct that is meant to be
// set once before CHOLMOD starts; Swift cannot assign a C global safely
// under strict concurrency, so the assignment happens here.
static inline void convmat_use_malloc(void *(*malloc_func)(size_t)) {
    SuiteSparse_config.malloc_func = malloc_func;
}
