# Medians per workload, JDK and variant from run.sh / phases.sh output: python3 summary.py FILE
# CPU is perf's task-clock where the line has it (8th column), else user+sys from /usr/bin/time.
import os, sys, statistics as st
d={}
for l in open(sys.argv[1]):
    p=l.split()
    if len(p) not in (7,8): continue
    w,j,v,u,s,m,e=p[:7]
    cpu=float(p[7]) if len(p)==8 else float(u)+float(s)
    d.setdefault((w,j,v),[]).append((cpu,int(m)/1024,float(e)))
print("| workload | JDK | variant | CPU s per run | CPU s (median) | Δ CPU | peak RSS MiB | Δ MiB | wall s | runs |")
print("|---|---|---|---|---:|---:|---:|---:|---:|---:|")
for k in sorted(d):
    xs=d[k]; base=d.get((k[0],k[1],'none'))
    c=st.median(x[0] for x in xs); r=st.median(x[1] for x in xs)
    bc=st.median(x[0] for x in base); br=st.median(x[1] for x in base)
    runs=" ".join("%.3f"%x[0] for x in sorted(xs))
    print("| %s | %s | %s | %s | %.3f | %+.3f | %.0f | %+.1f | %.2f | %d |"%(k[0],k[1],k[2],runs,c,c-bc,r,r-br,st.median(x[2] for x in xs),len(xs)))
# PAIR="after before" (environment): per-round differences A - B (the runs of one round are interleaved, so
# the pair shares the machine's state), median and interquartile range, in ms.
if os.environ.get("PAIR"):
    a,b=os.environ["PAIR"].split()
    print()
    print("| workload | JDK | %s − %s per round: median [IQR] ms | rounds |"%(a,b))
    print("|---|---|---|---:|")
    for (w,j) in sorted({(k[0],k[1]) for k in d}):
        xa=d.get((w,j,a)); xb=d.get((w,j,b))
        if not xa or not xb: continue
        diffs=sorted((x[0]-y[0])*1000 for x,y in zip(xa,xb))
        q=st.quantiles(diffs,n=4) if len(diffs)>1 else [diffs[0]]*3
        print("| %s | %s | %+.0f [%+.0f, %+.0f] | %d |"%(w,j,st.median(diffs),q[0],q[2],len(diffs)))
