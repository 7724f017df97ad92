// The one C header ConvMatrix reads: CHOLMOD from Debian's libsuitesparse-dev.
#include <suitesparse/cholmod.h>
