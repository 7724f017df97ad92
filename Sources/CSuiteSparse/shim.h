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

// sched_getaffinity(2), which Swift's Glibc module does not declare (glibc
// declares it only under _GNU_SOURCE): the processors this process may run
// on, for the products' default thread count (ProductThreads). The same
// prototype as glibc's, so the two agree wherever both are visible.
#include <sched.h>
extern int sched_getaffinity(pid_t __pid, size_t __cpusetsize, cpu_set_t *__cpuset);
