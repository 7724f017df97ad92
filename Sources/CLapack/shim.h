// The LAPACK routines ConvMatrix calls for the spectrum of C, from Debian's liblapack-dev
// (on this system the library is OpenBLAS's LAPACK through Debian's alternatives).
// Debian ships no C header for the Fortran interface, so the prototypes are written here:
// Fortran passes every argument by reference, integers are 32 bits (LP64), and each
// CHARACTER argument has a hidden length passed by value at the end (gfortran's convention).
#include <stddef.h>

// Singular values (and optionally vectors) of a real m×n matrix, divide and conquer.
void dgesdd_(const char *jobz, const int *m, const int *n, double *a, const int *lda, double *s,
             double *u, const int *ldu, double *vt, const int *ldvt, double *work, const int *lwork,
             int *iwork, int *info, size_t jobz_length);

// Singular values (and optionally vectors) of a complex m×n matrix, stored as (re, im) pairs.
void zgesvd_(const char *jobu, const char *jobvt, const int *m, const int *n, double *a, const int *lda,
             double *s, double *u, const int *ldu, double *vt, const int *ldvt, double *work,
             const int *lwork, double *rwork, int *info, size_t jobu_length, size_t jobvt_length);

// Eigenvalues (and optionally eigenvectors) of a real symmetric tridiagonal matrix.
void dstev_(const char *jobz, const int *n, double *d, double *e, double *z, const int *ldz, double *work,
            int *info, size_t jobz_length);
