// The one C header ConvMatrix reads: CHOLMOD from Debian's libsuitesparse-dev.
#include <suitesparse/cholmod.h>

// SuiteSparse reads its allocator from a process-wide setting that is meant
// to be made once before CHOLMOD starts; Swift cannot assign a C global
// safely under strict concurrency, so the assignment happens here.
// SuiteSparse 7 made the setting private and added a setter for it.
static inline void convmat_use_malloc(void *(*malloc_func)(size_t)) {
#if defined(SUITESPARSE_MAIN_VERSION) && SUITESPARSE_MAIN_VERSION >= 7
    SuiteSparse_config_malloc_func_set(malloc_func);
#else
    SuiteSparse_config.malloc_func = malloc_func;
#endif
}
