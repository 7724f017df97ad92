// The routes for C·x measured in one process, to choose by measurement (issue 25; see
// docs/performance.md, "Products on two cores"): a gather over C's rows by hand (64-bit and
// 32-bit column indices, 1 and 2 OpenMP threads), CHOLMOD's transposed sdmult down the rows
// (one thread), and SuiteSparse:GraphBLAS's GrB_mxv with C held by rows (1 and 2 threads),
// plus a read-only bandwidth. C is built here in CSR from the geometry, with random values.
// Outside the Swift build; needs libsuitesparse-dev (which installs libgraphblas):
//
//   gcc -O3 -march=native -fopenmp Tests/Benchmarks/gather_routes.c -o /tmp/gather_routes \
//       -lgraphblas -lcholmod
//   /tmp/gather_routes 64 16 3 1 1     # input size, channels in = out, kernel, stride, padding
//
// Times are the best of 31 calls.
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <omp.h>
#include <GraphBLAS.h>
#include <suitesparse/cholmod.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){
  int H=atoi(argv[1]),C=atoi(argv[2]),K=atoi(argv[3]),S=atoi(argv[4]),P=atoi(argv[5]);
  int OH=(H+2*P-K)/S+1; int64_t n=(int64_t)C*H*H, m=(int64_t)C*OH*OH;
  int64_t cap=m*C*K*K; int64_t *rp=malloc((m+1)*8),*ci=malloc(cap*8); double*v=malloc(cap*8);
  int32_t *ci32=malloc(cap*4);
  int64_t nz=0; srand(1);
  for(int o=0;o<C;o++)for(int y=0;y<OH;y++)for(int x=0;x<OH;x++){int64_t r=(int64_t)o*OH*OH+y*OH+x; rp[r]=nz;
    for(int c=0;c<C;c++)for(int ky=0;ky<K;ky++)for(int kx=0;kx<K;kx++){int iy=y*S+ky-P,ix=x*S+kx-P; if(iy<0||ix<0||iy>=H||ix>=H)continue;
      ci[nz]=(int64_t)c*H*H+iy*H+ix; ci32[nz]=ci[nz]; v[nz]=rand()/(double)RAND_MAX; nz++;}}
  rp[m]=nz; printf("m %ld n %ld nnz %ld bytes64 %.1f MB\n",m,n,nz,(16.0*nz+8*(m+n))/1e6);
  double*x=malloc(n*8),*y=malloc(m*8); for(int64_t i=0;i<n;i++)x[i]=i%7*0.1;
  int R=31; double best;
  // read bandwidth on 2 threads
  int64_t L=64<<20; double*a=malloc(L*8); for(int64_t i=0;i<L;i++)a[i]=1;
  best=1e9; for(int r=0;r<R;r++){double t=now(),s=0;
    #pragma omp parallel for reduction(+:s) num_threads(2)
    for(int64_t i=0;i<L;i++)s+=a[i];
    t=now()-t; if(t<best)best=t; if(s<0)printf("x");}
  printf("read 2thr %.1f GB/s\n",L*8/best/1e9);
  best=1e9; for(int r=0;r<R;r++){double t=now(),s=0;
    for(int64_t i=0;i<L;i++)s+=a[i];
    t=now()-t; if(t<best)best=t; if(s<0)printf("x");}
  printf("read 1thr %.1f GB/s\n",L*8/best/1e9);
  free(a);
  for(int th=1;th<=2;th++){
  best=1e9; for(int r=0;r<R;r++){double t=now();
    #pragma omp parallel for num_threads(th) schedule(static)
    for(int64_t i=0;i<m;i++){double s=0;for(int64_t k=rp[i];k<rp[i+1];k++)s+=v[k]*x[ci[k]];y[i]=s;}
    t=now()-t;if(t<best)best=t;}
  printf("gather64 %d thr %.3f ms %.1f GB/s\n",th,best*1e3,(16.0*nz)/best/1e9);
  best=1e9; for(int r=0;r<R;r++){double t=now();
    #pragma omp parallel for num_threads(th) schedule(static)
    for(int64_t i=0;i<m;i++){double s=0;for(int64_t k=rp[i];k<rp[i+1];k++)s+=v[k]*x[ci32[k]];y[i]=s;}
    t=now()-t;if(t<best)best=t;}
  printf("gather32 %d thr %.3f ms\n",th,best*1e3);
  }

  { cholmod_common cc; cholmod_l_start(&cc);
    cholmod_sparse *A=cholmod_l_allocate_sparse(n,m,nz,1,1,0,CHOLMOD_REAL,&cc);
    memcpy(A->p,rp,(m+1)*8); memcpy(A->i,ci,nz*8); memcpy(A->x,v,nz*8);
    cholmod_dense *X=cholmod_l_allocate_dense(n,1,n,CHOLMOD_REAL,&cc), *Y=cholmod_l_allocate_dense(m,1,m,CHOLMOD_REAL,&cc);
    memcpy(X->x,x,n*8); double al[2]={1,0},be[2]={0,0};
    best=1e9; for(int r=0;r<R;r++){double t=now(); cholmod_l_sdmult(A,1,al,be,X,Y,&cc); t=now()-t;if(t<best)best=t;}
    printf("cholmod transposed sdmult 1 thr %.3f ms\n",best*1e3);
  }
  // GraphBLAS
  GrB_init(GrB_NONBLOCKING);
  GrB_Matrix A; GrB_Matrix_new(&A,GrB_FP64,m,n);
  GrB_Index *I=malloc(nz*8),*J=malloc(nz*8); for(int64_t i=0;i<m;i++)for(int64_t k=rp[i];k<rp[i+1];k++){I[k]=i;J[k]=ci[k];}
  GrB_Matrix_build_FP64(A,I,J,v,nz,GrB_PLUS_FP64);
  GxB_Matrix_Option_set(A,GxB_FORMAT,GxB_BY_ROW); GrB_Matrix_wait(A,GrB_MATERIALIZE);
  GrB_Vector X,Y; GrB_Vector_new(&X,GrB_FP64,n); GrB_Vector_new(&Y,GrB_FP64,m);
  for(int64_t i=0;i<n;i++)GrB_Vector_setElement_FP64(X,x[i],i); GrB_Vector_wait(X,GrB_MATERIALIZE);
  for(int th=1;th<=2;th++){ GxB_Global_Option_set(GxB_NTHREADS,th);
  best=1e9; for(int r=0;r<R;r++){double t=now(); GrB_mxv(Y,NULL,NULL,GrB_PLUS_TIMES_SEMIRING_FP64,A,X,NULL); GrB_Vector_wait(Y,GrB_MATERIALIZE); t=now()-t;if(t<best)best=t;}
  printf("GrB_mxv %d thr %.3f ms\n",th,best*1e3);}
  return 0;}
