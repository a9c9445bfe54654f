/* Minimal stand-ins for the Redis pieces sparkline.c uses. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
typedef char *sds;
static inline sds sdsempty(void){ char *s = malloc(1); s[0]=0; return s; }
static inline sds sdscatlen(sds s, const void *t, size_t len){ size_t l=strlen(s); s=realloc(s,l+len+1); memcpy(s+l,t,len); s[l+len]=0; return s; }
#define zmalloc malloc
#define zrealloc realloc
#define zfree free
#define zstrdup strdup
#include "sparkline.h"
