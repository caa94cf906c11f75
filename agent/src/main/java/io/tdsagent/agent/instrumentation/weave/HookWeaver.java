package io.tdsagent.agent.instrumentation.weave;

import io.tdsagent.agent.instrumentation.hook.HookCheck;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Weaves {@link Hook}s into one driver class with plain ASM (Byte Buddy's relocated copy): a first
 * pass over the members only checks that every required method and field is there, the second
 * copies every other method's bytes as they are (no frame computation, no type resolution, no class
 * loading) and inserts static calls into the hooked ones. A class that does not fit is named in one
 * log line and left alone, as is one whose hooked method assigns a parameter that a call reads at
 * exit (what a call sees must be what the driver was given).
 */
public final class HookWeaver {
  private static final Logger LOG = Logger.getLogger("io.tdsagent");
  private static final int ASM = Opcodes.ASM9;

  private final String driver;
  private final String className;
  private final List<Hook> hooks;

  /** Required field name to its descriptor. */
  private final Map<String, String> fields;

  public HookWeaver(String driver, String className, List<Hook> hooks, Map<String, String> fields) {
    this.driver = driver;
    this.className = className;
    this.hooks = hooks;
    this.fields = new LinkedHashMap<>(fields);
    for (Hook h : hooks) {
      for (String f : h.fields()) {
        if (!this.fields.containsKey(f)) {
          throw new IllegalArgumentException(
              "field " + f + " of " + h.label + " is not declared as required");
        }
      }
    }
  }

  /**
   * What the class lacks, required methods first (in the hooks' order), then fields; empty when
   * every hook fits.
   */
  public List<String> missing(byte[] bytes) {
    return new Members(bytes).missing();
  }

  /**
   * The woven class, or null: the class does not fit (said once in the log), or it stays as it is
   * for a reason said in the log.
   */
  public byte[] weave(byte[] bytes, ProtectionDomain domain) {
    List<String> missing = new ArrayList<>();
    byte[] woven = weave(bytes, domain, missing);
    if (!missing.isEmpty()) {
      HookCheck.logNotTraced(driver, domain, className, missing);
    }
    return woven;
  }

  /**
   * The woven class, or null; what the class lacks goes into {@code missing} (then null, without a
   * word). One pass over the class: the fields come before the methods in a class file, so the
   * hooked methods' field operands are known when they are rewritten, and what is missing is known
   * at the end, when the copy is dropped if anything is. Large driver classes are read once, not
   * once to check and again to weave.
   */
  public byte[] weave(byte[] bytes, ProtectionDomain domain, List<String> missing) {
    ClassReader reader = new ClassReader(bytes);
    ClassWriter writer = new ClassWriter(reader, 0);
    Weaving weaving = new Weaving(writer);
    reader.accept(weaving, 0);
    missing.addAll(weaving.missing());
    if (!missing.isEmpty()) {
      return null;
    }
    if (weaving.reassigned != null) {
      LOG.warning(
          "tds-agent: "
              + driver
              + " "
              + HookCheck.jarName(domain)
              + ": "
              + className
              + "."
              + weaving.reassigned
              + " assigns a parameter the agent reads at its end; this driver version is not traced");
      return null;
    }
    return writer.toByteArray();
  }

  /**
   * What both passes record of a class: its instance fields' types and how many methods each hook
   * matches; from them, what the class lacks.
   */
  private abstract class Survey extends ClassVisitor {
    final Map<String, String> fieldTypes = new HashMap<>();
    final int[] matches = new int[hooks.size()];

    Survey(ClassVisitor next) {
      super(ASM, next);
    }

    @Override
    public FieldVisitor visitField(
        int access, String name, String descriptor, String signature, Object value) {
      if ((access & Opcodes.ACC_STATIC) == 0) {
        fieldTypes.put(name, descriptor);
      }
      return super.visitField(access, name, descriptor, signature, value);
    }

    /** Counts the method for every hook it matches; the first of them, or null. */
    Hook match(int access, String name, String descriptor) {
      Hook first = null;
      for (int i = 0; i < matches.length; i++) {
        Hook h = hooks.get(i);
        if (h.matches(access, name, descriptor)) {
          matches[i]++;
          if (first == null) {
            first = h;
          }
        }
      }
      return first;
    }

    /** Required methods first (in the hooks' order), then fields. */
    List<String> missing() {
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < matches.length; i++) {
        if (hooks.get(i).required && matches[i] != 1) {
          missing.add(hooks.get(i).label);
        }
      }
      for (Map.Entry<String, String> f : fields.entrySet()) {
        String found = fieldTypes.get(f.getKey());
        if (found == null || (f.getValue() != null && !f.getValue().equals(found))) {
          missing.add("field " + f.getKey());
        }
      }
      return missing;
    }
  }

  /** The members, read without the code. */
  private final class Members extends Survey {
    Members(byte[] bytes) {
      super(null);
      new ClassReader(bytes)
          .accept(this, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      match(access, name, descriptor);
      return null;
    }
  }

  private final class Weaving extends Survey {
    private String owner;
    private boolean frames;
    String reassigned;

    Weaving(ClassVisitor next) {
      super(next);
    }

    @Override
    public void visit(
        int version,
        int access,
        String name,
        String signature,
        String superName,
        String[] interfaces) {
      owner = name;
      frames = (version & 0xFFFF) >= Opcodes.V1_6;
      super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
      Hook hooked = match(access, name, descriptor);
      // else the writer copies this method's bytes as they are
      return hooked == null ? mv : new Woven(mv, hooked, name, descriptor);
    }

    private final class Woven extends MethodVisitor {
      private final Hook hook;
      private final String name;
      private final Type[] params;
      private final int[] slots;
      private final Type returned;

      /** Parameter slots a call reads after the body has run. */
      private final boolean[] readLate;

      private Label start;
      private final Label handler = new Label();

      Woven(MethodVisitor next, Hook hook, String name, String descriptor) {
        super(ASM, next);
        this.hook = hook;
        this.name = name;
        this.params = Type.getArgumentTypes(descriptor);
        this.returned = Type.getReturnType(descriptor);
        this.slots = new int[params.length];
        int slot = 1;
        for (int i = 0; i < params.length; i++) {
          slots[i] = slot;
          slot += params[i].getSize();
        }
        readLate = new boolean[slot];
        for (Hook.Call c : new Hook.Call[] {hook.exit, hook.thrown}) {
          if (c != null) {
            for (String o : c.operands) {
              if (o.startsWith("arg")) {
                readLate[slots[Integer.parseInt(o.substring(3))]] = true;
              } else if (o.equals("tds8") && params.length >= 6) {
                readLate[slots[params.length - 1]] = true;
              }
            }
          }
        }
      }

      @Override
      public void visitCode() {
        super.visitCode();
        if (hook.enter != null) {
          call(hook.enter);
        }
        if (hook.thrown != null) {
          start = new Label();
        }
      }

      /**
       * The handler around the body goes after the method's own handlers (the reader visits them
       * first), so that those still catch what they catch; its range starts before the first
       * instruction.
       */
      private void opening() {
        if (start != null && !handlerOpened) {
          handlerOpened = true;
          super.visitTryCatchBlock(start, handler, handler, "java/lang/Throwable");
          super.visitLabel(start);
        }
      }

      private boolean handlerOpened;

      @Override
      public void visitLabel(Label label) {
        opening();
        super.visitLabel(label);
      }

      @Override
      public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        opening();
        super.visitFrame(type, numLocal, local, numStack, stack);
      }

      @Override
      public void visitLineNumber(int line, Label at) {
        opening();
        super.visitLineNumber(line, at);
      }

      @Override
      public void visitInsn(int opcode) {
        opening();
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN && hook.exit != null) {
          call(hook.exit);
        }
        super.visitInsn(opcode);
      }

      @Override
      public void visitIntInsn(int opcode, int operand) {
        opening();
        super.visitIntInsn(opcode, operand);
      }

      @Override
      public void visitVarInsn(int opcode, int var) {
        opening();
        if (opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE) {
          late(var);
        }
        super.visitVarInsn(opcode, var);
      }

      @Override
      public void visitIincInsn(int var, int increment) {
        opening();
        late(var);
        super.visitIincInsn(var, increment);
      }

      private void late(int var) {
        if (var < readLate.length && readLate[var]) {
          reassigned = name;
        }
      }

      @Override
      public void visitTypeInsn(int opcode, String type) {
        opening();
        super.visitTypeInsn(opcode, type);
      }

      @Override
      public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        opening();
        super.visitFieldInsn(opcode, owner, name, descriptor);
      }

      @Override
      public void visitMethodInsn(
          int opcode, String owner, String name, String descriptor, boolean isInterface) {
        opening();
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
      }

      @Override
      public void visitInvokeDynamicInsn(
          String name,
          String descriptor,
          net.bytebuddy.jar.asm.Handle bootstrap,
          Object... arguments) {
        opening();
        super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
      }

      @Override
      public void visitJumpInsn(int opcode, Label label) {
        opening();
        super.visitJumpInsn(opcode, label);
      }

      @Override
      public void visitLdcInsn(Object value) {
        opening();
        super.visitLdcInsn(value);
      }

      @Override
      public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        opening();
        super.visitTableSwitchInsn(min, max, dflt, labels);
      }

      @Override
      public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        opening();
        super.visitLookupSwitchInsn(dflt, keys, labels);
      }

      @Override
      public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        opening();
        super.visitMultiANewArrayInsn(descriptor, numDimensions);
      }

      @Override
      public void visitMaxs(int maxStack, int maxLocals) {
        opening();
        if (start != null) {
          super.visitLabel(handler);
          if (frames) {
            super.visitFrame(
                Opcodes.F_FULL, 1, new Object[] {owner}, 1, new Object[] {"java/lang/Throwable"});
          }
          call(hook.thrown);
          super.visitInsn(Opcodes.ATHROW);
        }
        super.visitMaxs(maxStack + 8, maxLocals);
      }

      /** Loads the operands and calls; the stack is as it was afterwards. */
      private void call(Hook.Call c) {
        for (String o : c.operands) {
          if (o.equals("this")) {
            super.visitVarInsn(Opcodes.ALOAD, 0);
          } else if (o.equals("return")) {
            if (returned.getSort() == Type.VOID) {
              super.visitInsn(Opcodes.ACONST_NULL);
            } else {
              super.visitInsn(returned.getSize() == 2 ? Opcodes.DUP2 : Opcodes.DUP);
            }
          } else if (o.equals("thrown")) {
            super.visitInsn(Opcodes.DUP);
          } else if (o.equals("tds8")) {
            if (params.length >= 6 && params[params.length - 1].getSort() == Type.BOOLEAN) {
              super.visitVarInsn(Opcodes.ILOAD, slots[params.length - 1]);
            } else {
              super.visitInsn(Opcodes.ICONST_0);
            }
          } else if (o.startsWith("field:")) {
            String f = o.substring(6);
            super.visitVarInsn(Opcodes.ALOAD, 0);
            // a field the class lacks: the copy is dropped at the end, so any type does here
            String type = fieldTypes.getOrDefault(f, "Ljava/lang/Object;");
            super.visitFieldInsn(Opcodes.GETFIELD, owner, f, type);
          } else if (o.startsWith("arg")) {
            int i = Integer.parseInt(o.substring(3));
            super.visitVarInsn(params[i].getOpcode(Opcodes.ILOAD), slots[i]);
          } else {
            throw new IllegalArgumentException(o);
          }
        }
        super.visitMethodInsn(Opcodes.INVOKESTATIC, c.owner, c.method, c.descriptor, false);
      }
    }
  }
}
