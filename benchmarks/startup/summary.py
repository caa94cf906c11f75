# Medians per workload, JDK and variant from run.sh output: python3 summary.py FILE
import sys, statistics as st
d={}
for l in open(sys.argv[1]):
    p=l.split()
    if len(p)!=7: continue
    w,j,v,u,s,m,e=p; d.setdefault((w,j,v),[]).append((float(u)+float(s),int(m)/1024,float(e)))
for k in sorted(d):
    xs=d[k]; base=d.get((k[0],k[1],'none'))
    c=st.median(x[0] for x in xs); r=st.median(x[1] for x in xs)
    bc=st.median(x[0] for x in base); br=st.median(x[1] for x in base)
    print("| %s | %s | %s | %.2f | %+.2f | %.0f | %+.1f | %.2f | %d |"%(k[0],k[1],k[2],c,c-bc,r,r-br,st.median(x[2] for x in xs),len(xs)))
