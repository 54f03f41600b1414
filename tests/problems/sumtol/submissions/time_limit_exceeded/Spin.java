// Time limit exceeded: busy loop forever.
public class Spin {
    static volatile long counter;

    public static void main(String[] args) {
        for (;;) counter++;
    }
}
